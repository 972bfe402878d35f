"""Lists in (issue 14): beneficiary lists (P3KE, DTSEN, SIKS-NG BNBA, OpenSID) read, mapped to
the registry's fields and cleaned with a reason for every value refused. Plain Python, no Qt."""
