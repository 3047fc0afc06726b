"""The supervisor's spreadsheets and reports: passage exports (CSV, XLSX), the daily report (PDF),
the contractor ledger, and the list files supervisors import. No Qt: the desk runs exports in a
child process (``export_process``) and the rest in worker threads; all run headless as well.
"""
