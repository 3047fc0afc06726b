"""The supervisor's desk: PIN entry, passage search and detail, exports, the daily report and
list import. Every slow step (argon2 PIN checks, searches, exports, PDFs) runs on a worker
thread through ``gatehouse.ui.background.BackgroundJob``; the GUI thread only shows results.
"""
