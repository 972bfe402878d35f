"""A laptop set up from the office's provisioning file, new or existing, in one call.

The window's set-up (first start or Berkas → Buka berkas penyiapan…) and `muba-desk setup` both
come here: the file is opened with its setup passphrase before anything is written; a new
registry is encrypted with the laptop's own recovery passphrase (not the setup one, which was
read out over the phone) and its first supervisor's password; an existing registry keeps its
key file as it is and only gains the office's recovery copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from muba_desk.passphrase import RECOVERY, new_passphrase_problem
from muba_desk.store import keys as db_keys
from muba_desk.store import operators
from muba_desk.store.db import connect
from muba_desk.sync.keys import KeyProblem, apply_provisioned, read_provisioning


@dataclass(frozen=True)
class Provisioned:
    settings: dict  # the file's content without its private keys (name, code, villages, office)
    operator: operators.Operator | None  # the first supervisor, when one was made


def needs_first_supervisor(db_path) -> bool:
    """A new registry, or one without operators (set up on the command line without
    `--supervisor`): the set-up must make the first supervisor, or nobody could sign in.
    An existing encrypted registry must be unlocked first."""
    if not Path(db_path).exists():
        return True
    db = connect(db_path)
    try:
        return not operators.has_operators(db)
    finally:
        db.close()


def supervisor_problem(supervisor: dict) -> str | None:
    """Why the first supervisor cannot be made as typed (Indonesian), or None."""
    username = operators.normalise_username(supervisor.get("username", ""))
    problem = operators.username_problem(username)
    problem = problem or operators.password_problem(supervisor.get("password", ""), username)
    if problem is None and not " ".join(supervisor.get("full_name", "").split()):
        problem = "Isi nama lengkap petugas."
    return problem


def provision_laptop(
    db_path,
    provision_file,
    setup_passphrase: str,
    *,
    recovery_passphrase: str | None = None,
    supervisor: dict | None = None,
) -> Provisioned:
    """Make the registry at `db_path` the laptop the office registered in `provision_file`.

    A new encrypted registry needs `recovery_passphrase` (its own, held to the strength rule);
    a new registry is
    removed again if any step fails. `supervisor` (username, full_name, password) is made as
    the first supervisor when the registry has no operator yet; KeyProblem or OperatorError
    (both Indonesian) say what stopped it, before anything was written where they can."""
    db_path = Path(db_path)
    content = read_provisioning(provision_file, setup_passphrase)  # a wrong passphrase: stop
    new = not db_path.exists()
    made_key = new and db_keys.encryption_enabled()
    if made_key and (problem := new_passphrase_problem(recovery_passphrase or "", RECOVERY)):
        raise KeyProblem(problem)
    if supervisor is not None and (problem := supervisor_problem(supervisor)):
        raise operators.OperatorError(problem)
    username = operators.normalise_username(supervisor["username"]) if supervisor else None
    if made_key:
        slots = {username: supervisor["password"]} if supervisor else None
        db_keys.create_key_file(db_path, operators=slots, recovery_passphrase=recovery_passphrase)
    try:
        settings = apply_provisioned(db_path, content, Path(provision_file).name)
        operator = None
        if supervisor is not None and needs_first_supervisor(db_path):
            db = connect(db_path)
            try:
                operator = operators.create_operator(
                    db,
                    username=username,
                    full_name=supervisor["full_name"],
                    role="supervisor",
                    password=supervisor["password"],
                )
            finally:
                db.close()
    except BaseException:
        if new:
            _remove_new(db_path)
        raise
    return Provisioned(settings=settings, operator=operator)


def _remove_new(db_path: Path) -> None:
    """A registry this call made, gone again: a half set-up laptop is never opened by mistake."""
    for suffix in ("", "-wal", "-shm", "-journal", db_keys.SUFFIX):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_keys.forget(db_path)
