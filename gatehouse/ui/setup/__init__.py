"""The booth's setup wizard: the first run, ``gatehouse setup``, and "Booth settings…" on the
supervisor's desk. Every probe, enrolment and write runs on a worker thread (``jobs.Jobs``)
through the Qt-free ``gatehouse.setup.configure`` and ``gatehouse.setup.detect``.
"""
