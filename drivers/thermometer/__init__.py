"""Serial body thermometers: wire protocols (sans-IO parsers), the port monitor, a simulator."""
