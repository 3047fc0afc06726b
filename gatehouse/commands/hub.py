"""``gatehouse hub …``: run the central hub, and connect a booth to it.

Office side: ``serve``, ``add-booth`` (prints a one-time enrolment code), ``publish`` (signs a
bundle), ``add-user`` (a web console account; the first administrator is made this way),
``migrate`` (upgrades the database's schema, which every start also does; ``--status`` only
says where it stands).
Booth side: ``enrol`` (spends the code, keeps the booth's token in its ledger).
The hub needs the optional extra: ``pip install 'gatehouse[hub]'``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gatehouse.hub.server import HubState


def _hub_server() -> ModuleType:
    """The hub's server module; a clear error when the optional extra is not installed."""
    from gatehouse.commands.errors import CommandError

    try:
        return importlib.import_module("gatehouse.hub.server")
    except ImportError as exc:
        raise CommandError(
            f"the hub needs the optional extra: pip install 'gatehouse[hub]' ({exc})"
        ) from exc


def _state(args: argparse.Namespace) -> HubState:
    import platformdirs

    folder = args.state or Path(platformdirs.user_data_dir("gatehouse", appauthor=False)) / "hub"
    state: HubState = _hub_server().HubState(folder)
    return state


def _open_hub(args: argparse.Namespace) -> Any:
    """The hub of ``args``; a clear error for a database a newer release upgraded, or one a
    schema step failed on."""
    with _schema_refusals():
        return _hub_server().open_hub(_state(args), args.database)


@contextmanager
def _schema_refusals() -> Iterator[None]:
    from gatehouse.commands.errors import CommandError
    from gatehouse.hub.migrations import MigrationError, SchemaTooNewError

    try:
        yield
    except (SchemaTooNewError, MigrationError) as exc:
        raise CommandError(str(exc)) from exc


SERVE_ENV = "GATEHOUSE_HUB_SERVE"  # the serve options, handed to each worker process


def _serve(args: argparse.Namespace) -> int:
    options = {
        "state": str(_state(args).folder),
        "database": args.database,
        "issuer_key": args.issuer_key and str(args.issuer_key),
        "issuer": args.issuer,
        "list_secret": args.list_secret and str(args.list_secret),
        "silent_minutes": args.silent_minutes,
    }
    issuer = _issuer(options)  # refused here, before any worker starts
    if args.workers == 1:
        silent_after = timedelta(minutes=args.silent_minutes)
        with _schema_refusals():
            server = _hub_server()
            server.serve(_state(args), args.database, args.host, args.port, issuer, silent_after)
        return 0
    os.environ[SERVE_ENV] = json.dumps(options)
    try:
        with _schema_refusals():
            _hub_server().serve_workers(
                _state(args), args.database, args.host, args.port, args.workers, WORKER_APP
            )
    except ValueError as exc:
        from gatehouse.commands.errors import CommandError

        raise CommandError(str(exc)) from exc
    return 0


WORKER_APP = f"{__name__}:worker_app"


def worker_app() -> Any:
    """The hub's application in one of ``serve --workers N``'s processes (uvicorn's factory)."""
    options = json.loads(os.environ[SERVE_ENV])
    state = _hub_server().HubState(Path(options["state"]))
    silent_after = timedelta(minutes=options["silent_minutes"])
    return _hub_server().app_for(state, options["database"], _issuer(options), silent_after)


def _issuer(options: dict[str, Any]) -> Any:
    """The office's pass issuer (``gatehouse.hub.issuing.HubIssuer``), if a key was given."""
    if options["issuer_key"] is None:
        return None
    from gatehouse.commands.errors import CommandError
    from gatehouse.core.keys import private_key_from_pem
    from gatehouse.hub.issuing import HubIssuer
    from gatehouse.office.passes import read_id_hash_secret

    if not options["issuer"]:
        raise CommandError("--issuer-key needs --issuer, the name its passes carry")
    secret_path = options["list_secret"]
    secret = read_id_hash_secret(Path(secret_path)) if secret_path else None
    key = private_key_from_pem(Path(options["issuer_key"]).read_bytes())
    return HubIssuer(key, options["issuer"], secret)


def _add_booth(args: argparse.Namespace) -> int:
    code = _open_hub(args).create_enrolment_code(args.booth_id)
    print(f"enrolment code for {args.booth_id} / 岗亭注册码: {code}")
    return 0


def _pin_recovery(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from gatehouse.commands.errors import CommandError
    from gatehouse.core.recovery_codes import VALID_DAYS
    from gatehouse.hub.pin_recovery import UnknownBoothError, issue_pin_recovery

    hub = _open_hub(args)
    try:
        code = issue_pin_recovery(hub.engine, args.booth_id, datetime.now(UTC).date())
    except UnknownBoothError as exc:
        raise CommandError(str(exc)) from exc
    print(f"PIN recovery code for {args.booth_id} / 岗亭 PIN 恢复码: {code}")
    print(f"one use, valid {VALID_DAYS} days / 仅可使用一次,{VALID_DAYS} 天内有效")
    return 0


def _read_password(from_stdin: bool) -> str:
    """The new account's password: one line of stdin, or typed twice at a hidden prompt."""
    import getpass
    import sys

    from gatehouse.commands.errors import CommandError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password / 密码: ")
    if getpass.getpass("again / 再次输入: ") != first:
        raise CommandError("the two passwords differ / 两次输入的密码不一致")
    return first


def _add_user(args: argparse.Namespace) -> int:
    from gatehouse.commands.errors import CommandError

    accounts_module = importlib.import_module("gatehouse.hub.console.accounts")
    hub = _open_hub(args)
    accounts = accounts_module.Accounts(hub.engine, hub.clock)
    try:
        accounts.add_user(
            args.username,
            _read_password(args.password_stdin),
            accounts_module.Role(args.role),
            args.mine,
        )
    except accounts_module.AccountError as exc:
        raise CommandError(f"no account created / 未创建账户: {exc}") from exc
    accounts.audit("(command line)", "user.add", f"{args.username} role={args.role}", None)
    print(f"account {args.username} ({args.role}) created / 账户已创建")
    return 0


def _publish(args: argparse.Namespace) -> int:
    """Checks the file as every booth will read it, then signs it (nothing signed if refused)."""
    from gatehouse.commands.errors import CommandError

    try:
        content = json.loads(args.file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CommandError(f"{args.file}: not JSON / 不是JSON文件: {exc}") from exc
    hub = _open_hub(args)
    from gatehouse.hub.service import StalePublishError  # the hub's extra is there by now

    try:
        bundle = hub.publish(args.name, content, based_on=args.based_on)
    except ValueError as exc:
        raise CommandError(f"not published / 未发布: {exc}") from exc
    except StalePublishError as exc:
        raise CommandError(
            f"not published: {args.name} is at version {exc.latest}, not {exc.based_on}: someone "
            f"published since this file was made; check it against version {exc.latest} / "
            f"未发布:{args.name} 已有人发布了第 {exc.latest} 版,请对照该版本核对此文件后再发布"
        ) from exc
    print(f"published {bundle.name} version {bundle.version}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    """Upgrades the database's schema (or with ``--status`` only reads where it stands)."""
    from sqlalchemy.engine import make_url

    from gatehouse.commands.errors import CommandError
    from gatehouse.hub import migrations
    from gatehouse.hub.database import connect_database

    url = args.database or _state(args).default_database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise CommandError(f"no hub database at {parsed.database} / 此处没有中心数据库")
    engine = connect_database(url)
    try:
        if args.status:
            with engine.connect() as conn:
                print(_status_text(migrations.read_status(conn)))
            return 0
        with _schema_refusals():
            ran = migrations.migrate(engine)
    finally:
        engine.dispose()
    for step in ran:
        print(f"schema version {step.version}: {step.name} / 结构已升级至第 {step.version} 版")
    newest = migrations.NEWEST
    print(f"schema at version {newest}, the newest / 结构已是最新的第 {newest} 版")
    return 0


def _status_text(status: Any) -> str:
    """Where the database stands, and what ``migrate`` (or the next start) would do."""
    if status.version is None:
        return "no hub tables yet: the first start makes them / 尚无中心数据表,首次启动时创建"
    at = f"{status.version}/{status.newest}"
    lines = [f"schema version {at} / 结构版本 {at}"]
    if status.too_new:
        lines.append(
            "newer than this release: it will not start on it / 比本版本新,本版本不会使用它"
        )
    lines += [f"to run: {s.version} {s.name} / 待升级" for s in status.pending]
    return "\n".join(lines)


def _enrol(args: argparse.Namespace) -> int:
    from gatehouse import config
    from gatehouse.booth.ledger_check import open_booth_ledger
    from gatehouse.commands.errors import CommandError
    from gatehouse.sync.client import HubRefusedError, HubUnavailableError
    from gatehouse.sync.enrolment import enrol_booth, hub_address

    hub = hub_address(args.hub)  # before anything is opened: a typo changes nothing
    cfg = config.load(args.config)
    booth_id = args.booth_id or cfg.booth.booth_id
    with open_booth_ledger(cfg, args.ledger) as ledger:
        try:
            enrol_booth(ledger, hub, booth_id, args.code)
        except (HubRefusedError, HubUnavailableError) as exc:
            raise CommandError(f"enrolment failed / 注册失败: {exc}") from exc
    print(f"booth {booth_id} enrolled with {hub} / 岗亭已注册")
    return 0


def _add_hub_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state", type=Path, help="folder of the hub's signing key and admin token"
    )
    parser.add_argument(
        "--database",
        help="SQLAlchemy URL: sqlite:///hub.sqlite3 (default, in the state folder) or "
        "postgresql://user@host/db",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hub = sub.add_parser("hub", help="the central hub, and enrolling a booth with it")
    commands = hub.add_subparsers(dest="hub_command", required=True, metavar="HUB_COMMAND")

    serve = commands.add_parser("serve", help="run the hub's HTTP service")
    _add_hub_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8750, help="port to listen on")
    serve.add_argument("--issuer-key", type=Path, help="the office's pass-signing key (PEM)")
    serve.add_argument("--issuer", help="issuer name the hub's passes carry")
    serve.add_argument(
        "--list-secret", type=Path, help="person-list secret (hex): passes carry the keyed hash"
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="server processes sharing the port (more than one needs PostgreSQL)",
    )
    serve.add_argument(
        "--silent-minutes",
        type=_positive,
        default=120,
        help="the console raises an alarm for a booth not heard from for this long (minutes)",
    )
    serve.set_defaults(handler=_serve)

    add = commands.add_parser("add-booth", help="print a one-time enrolment code for a booth")
    _add_hub_options(add)
    add.add_argument("booth_id", help="the booth's id, as in its [booth] booth_id")
    add.set_defaults(handler=_add_booth)

    recovery = commands.add_parser(
        "pin-recovery", help="(office) a one-time code that lets a booth set a new supervisor PIN"
    )
    _add_hub_options(recovery)
    recovery.add_argument("booth_id", help="the booth that has lost its supervisor PIN")
    recovery.set_defaults(handler=_pin_recovery)

    user = commands.add_parser(
        "add-user", help="create a web console account (the first administrator, say)"
    )
    _add_hub_options(user)
    user.add_argument("username", help="the name the person logs in with")
    user.add_argument(
        "--role",
        choices=("admin", "staff", "supervisor"),
        default="admin",
        help="admin: the office's administrator; staff: the office; supervisor: a mine, read-only",
    )
    user.add_argument("--mine", help="the supervisor's mine (supervisors only)")
    user.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin, not a prompt"
    )
    user.set_defaults(handler=_add_user)

    publish = commands.add_parser("publish", help="sign a JSON file as the next bundle version")
    _add_hub_options(publish)
    publish.add_argument("name", help="bundle name, e.g. policy, lists, privacy")
    publish.add_argument("file", type=Path, help="the bundle's content as JSON")
    publish.add_argument(
        "--based-on",
        type=int,
        metavar="VERSION",
        help="the version the file was made from: refused, nothing signed, if another was "
        "published since (without it the file is signed over whatever is published)",
    )
    publish.set_defaults(handler=_publish)

    migrate = commands.add_parser(
        "migrate", help="upgrade the hub database's schema to this release's (every start does)"
    )
    _add_hub_options(migrate)
    migrate.add_argument(
        "--status", action="store_true", help="only say which version it is at; change nothing"
    )
    migrate.set_defaults(handler=_migrate)

    enrol = commands.add_parser("enrol", help="(at the booth) enrol this booth with a hub")
    enrol.add_argument(
        "--hub", required=True, help="the hub's address: host:port or http(s)://host:port"
    )
    enrol.add_argument("--code", required=True, help="the enrolment code from the office")
    enrol.add_argument("--booth-id", help="default: the configured booth id")
    enrol.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    enrol.add_argument("--ledger", type=Path, help="ledger file (overrides the configuration)")
    enrol.set_defaults(handler=_enrol)
