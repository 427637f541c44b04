"""Course changes as drafts: every change made in the browser waits in the database.

Learners always see the published files on disk. An admin's edits, new lessons and
modules, renames, deletions, media and quiz imports are kept as a draft set per
course folder (one row per changed file), checked as a whole before publishing, and
published all at once or file by file, with a record of who published what and the
text of each file before and after.
"""
