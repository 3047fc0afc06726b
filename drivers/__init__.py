"""Hardware adapters: cameras, QR decoders, thermometers. No Qt, no gatehouse imports."""
