"""The booth's setup back end, without Qt: finding and trying devices, enrolling with the hub,
writing the configuration, starting at login. Used by the setup wizard (``gatehouse.ui.setup``)
and the setup commands, never by the running booth."""
