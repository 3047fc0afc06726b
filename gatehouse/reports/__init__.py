"""The supervisor's spreadsheets and reports: passage exports (CSV, XLSX), the daily report (PDF),
the contractor ledger, and the list files supervisors import. No Qt: the desk runs these in a
worker thread, and they run headless just as well.
"""
