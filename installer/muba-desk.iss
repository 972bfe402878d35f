; Inno Setup 6 script: turns dist\muba-desk (built on Windows by build_installer.spec) into
; muba-desk-<version>-setup.exe. See docs/installer.md for the whole recipe.
;
;   iscc /DAppVersion=0.1.0 installer\muba-desk.iss
;
; The program goes to Program Files; the registry data stays in %LOCALAPPDATA%\muba-desk
; (platformdirs' user_data_dir), which this installer never writes or deletes: it survives
; upgrades and uninstalling. An upgrade replaces the program folder only; the app itself
; migrates an older database on first start, after copying it aside (registry.db.before-*.bak).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "muba-desk"
#define AppPublisher "Dinas Sosial Kabupaten Musi Banyuasin"
#define AppExe "muba-desk.exe"

[Setup]
; Never change AppId: it is how an upgrade finds the installed version.
AppId={{5E0B7C0A-2C6B-4C8E-9E0D-6D7A1F0B1606}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription=Registri bantuan sosial (luring)
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Program Files needs administrator rights; the data folder is per user and needs none.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\resources\icons\muba-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; An upgrade asks a running muba-desk to close (it closes its database) before copying.
CloseApplications=force
RestartApplications=no
; The wizard in Indonesian, the operators' language; English for the office's IT staff.
ShowLanguageDialog=auto

[Languages]
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A new version's program folder starts clean: no module of an older version lingers.
; {app} holds the program only, never data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\muba-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for %LOCALAPPDATA%\muba-desk, on purpose: uninstalling removes
; the program, never the registry, its backups or the logs.
