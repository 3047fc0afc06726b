"""``gatehouse simulate thermometer|id-reader``: a simulated device on a virtual port, for
trying a booth or a serial tool without hardware. Prints the port to connect to, then serves it
until interrupted (or for ``--seconds``)."""

from __future__ import annotations

import argparse
import threading
from datetime import date, timedelta

from gatehouse.commands.choices import LazyChoices


def _simulate_thermometer(args: argparse.Namespace) -> int:
    from drivers.thermometer.registers import RegisterMap
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


TAP_HOLD_S = 1.5
"""How long a simulated tap leaves the card on the reader."""


def _simulate_id_reader(args: argparse.Namespace) -> int:
    from drivers.id_card.card import IdCardText
    from drivers.id_card.simulator import SimulatedIdReader
    from drivers.wire_faults import Faults

    until = args.valid_until
    card = IdCardText(args.name, args.id_number, date(2015, 1, 1), until)
    reader = SimulatedIdReader(
        args.transport,
        Faults(noise=args.noise, corrupt=args.corrupt, split=args.split, seed=args.seed),
    )
    print(reader.start(), flush=True)
    stop = threading.Event()
    timer = threading.Timer(args.seconds, stop.set) if args.seconds else None
    if timer:
        timer.start()
    try:
        while not stop.is_set():
            if args.auth_failure:
                reader.answer_next(0x9F, 0x90, 0x31)  # found, selected, then the card fails
            reader.place(card)
            if not args.tap_every:
                stop.wait()
            stop.wait(TAP_HOLD_S)
            reader.remove()
            stop.wait(max(0.0, args.tap_every - TAP_HOLD_S))
    except KeyboardInterrupt:
        pass
    finally:
        if timer:
            timer.cancel()
        reader.stop()
    return 0


def _valid_until(text: str) -> date | None:
    if text == "long-term":
        return None
    if text == "expired":
        return date.today() - timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD), 'long-term' or 'expired'"
        ) from None


def _protocols() -> list[str]:
    from drivers.thermometer.protocols import PROTOCOLS

    return list(PROTOCOLS)


def _faults(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transport",
        choices=("auto", "pty", "tcp"),
        default="auto",
        help="a pseudo-terminal, or a TCP port on 127.0.0.1 (auto: pty where there is one)",
    )
    parser.add_argument("--noise", type=float, default=0.0, help="chance of junk bytes")
    parser.add_argument("--corrupt", type=float, default=0.0, help="chance of a bad byte")
    parser.add_argument("--split", action="store_true", help="send frames in pieces")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault generator")
    parser.add_argument("--seconds", type=float, help="stop after this long")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = sub.add_parser("simulate", help="simulated devices on virtual ports")
    devices = simulate.add_subparsers(dest="device", required=True, metavar="DEVICE")
    thermometer = devices.add_parser(
        "thermometer", help="a serial thermometer; prints the port URL to open"
    )
    thermometer.add_argument(
        "--protocol",
        choices=LazyChoices(_protocols),
        metavar="PROTOCOL",
        default="ascii",
        help="what the device speaks: %(choices)s",
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
    _faults(thermometer)
    thermometer.add_argument("--modbus-unit", type=int, default=1, help="Modbus unit id")
    thermometer.add_argument(
        "--modbus-register", type=int, default=0, help="register of the body temperature"
    )
    thermometer.set_defaults(handler=_simulate_thermometer)
    reader = devices.add_parser(
        "id-reader",
        help="a resident ID card reader (SAM protocol); prints the port URL to open",
        description="Taps a card on a simulated reader every --tap-every seconds "
        "(0: the card stays on the reader).",
    )
    reader.add_argument("--name", default="张伟", help="the name on the card")
    reader.add_argument(
        "--id-number", default="11010519491231002X", help="the ID number on the card"
    )
    reader.add_argument(
        "--valid-until",
        type=_valid_until,
        default=None,
        help="YYYY-MM-DD, 'long-term' (the default) or 'expired' (yesterday)",
    )
    reader.add_argument("--tap-every", type=float, default=5.0, help="seconds between taps")
    reader.add_argument(
        "--auth-failure", action="store_true", help="every card fails authentication (0x31)"
    )
    _faults(reader)
    reader.set_defaults(handler=_simulate_id_reader)
