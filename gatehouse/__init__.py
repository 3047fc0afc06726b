"""Gatehouse: the epidemic checkpoint booth and the supervisor's desk."""

__version__ = "0.1.0"
