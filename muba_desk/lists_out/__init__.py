"""Lists the office hands on: decisions (SK) and their attachment, bank payment lists, BPJS
Ketenagakerjaan rosters, and the partners' answers read back (issue 15, docs/design.md
"Lists out")."""
