"""``gatehouse simulate thermometer``: a simulated thermometer on a virtual port, for trying a
booth or a serial tool without hardware. Prints the port to connect to, then serves it until
interrupted (or for ``--seconds``)."""

from __future__ import annotations

import argparse
import threading

PROTOCOL_NAMES = ("ascii", "binary", "modbus")  # drivers.thermometer.protocols.PROTOCOLS


def _simulate_thermometer(args: argparse.Namespace) -> int:
    from drivers.thermometer.modbus_protocol import RegisterMap
    from drivers.thermometer.simulator import Faults, SimulatedThermometer

    device = SimulatedThermometer(
        args.temperature,
        interval_s=args.interval,
        ambient=args.ambient,
        transport=args.transport,
        protocol=args.protocol,
        faults=Faults(noise=args.noise, corrupt=args.corrupt, split=args.split, seed=args.seed),
        registers=RegisterMap(unit=args.modbus_unit, register=args.modbus_register),
    )
    print(device.start(), flush=True)
    try:
        threading.Event().wait(args.seconds)
    except KeyboardInterrupt:
        pass
    finally:
        device.stop()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = sub.add_parser("simulate", help="simulated devices on virtual ports")
    devices = simulate.add_subparsers(dest="device", required=True, metavar="DEVICE")
    thermometer = devices.add_parser(
        "thermometer", help="a serial thermometer; prints the port URL to open"
    )
    thermometer.add_argument(
        "--protocol", choices=PROTOCOL_NAMES, default="ascii", help="what the device speaks"
    )
    thermometer.add_argument(
        "--temperature",
        type=float,
        nargs="+",
        default=[36.5],
        help="body temperatures to report, cycled (default 36.5)",
    )
    thermometer.add_argument("--ambient", type=float, help="ambient temperature to report")
    thermometer.add_argument(
        "--interval", type=float, default=0.5, help="seconds between measurements (default 0.5)"
    )
    thermometer.add_argument(
        "--transport",
        choices=("auto", "pty", "tcp"),
        default="auto",
        help="a pseudo-terminal, or a TCP port on 127.0.0.1 (auto: pty where there is one)",
    )
    thermometer.add_argument("--noise", type=float, default=0.0, help="chance of junk bytes")
    thermometer.add_argument("--corrupt", type=float, default=0.0, help="chance of a bad byte")
    thermometer.add_argument("--split", action="store_true", help="send frames in pieces")
    thermometer.add_argument("--seed", type=int, default=0, help="seed of the fault generator")
    thermometer.add_argument("--modbus-unit", type=int, default=1, help="Modbus unit id")
    thermometer.add_argument(
        "--modbus-register", type=int, default=0, help="register of the body temperature"
    )
    thermometer.add_argument("--seconds", type=float, help="stop after this long")
    thermometer.set_defaults(handler=_simulate_thermometer)
