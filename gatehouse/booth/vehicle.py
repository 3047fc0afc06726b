"""Vehicle mode: one vehicle at the gate, from its plate to the guard's finish.

The guard states the plate, where the vehicle comes from and why it comes; then every person in
it is scanned as usual, driver first. Each person is decided and logged as a passage of their
own the moment they are scanned (the evidence names the vehicle: ``vehicle_id``); a re-measure,
an attested colour or a typed ID number replaces that person's decision in the vehicle. When the
guard finishes, the vehicle is decided on those decisions (``judge_vehicle``) and logged as a
passage too, so it is chained, synced, searched and exported like any: code kind and role
"vehicle", the plate as the name, and in its evidence the origin, the purpose and the passage
ids of its people. Its passage id is the ``vehicle_id`` its people's passages carry. A cancelled
vehicle logs nothing more (its people's passages stay: they were shown and are true).

Starting, cancelling and reading the people are cheap and safe on the GUI thread; ``finish``
writes, so the screen calls it on a worker thread.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from gatehouse.booth.service import BoothService
from gatehouse.core.decision import Decision
from gatehouse.core.passage import Passage
from gatehouse.core.rules.regions import Region, RegionCodeError, check_code
from gatehouse.core.rules.vehicles import (
    VEHICLE_KIND,
    Vehicle,
    VehicleDecision,
    judge_vehicle,
    normalise_plate,
    vehicle_purposes,
)

VEHICLE_ID = "vehicle_id"  # the evidence key on each of its people's passages


class VehicleModeError(RuntimeError):
    """Vehicle mode was asked for something it cannot do now (a second vehicle, none active)."""


@dataclass(frozen=True)
class Occupant:
    """One person in the vehicle as last decided."""

    person_key: str
    passage: Passage
    decision: Decision


@dataclass(frozen=True)
class VehicleResult:
    passage: Passage
    decision: VehicleDecision
    people: tuple[Occupant, ...]  # driver first
    saved: Future[None]


class VehicleSession:
    """The vehicle being checked; the booth service hands it every person it decides."""

    def __init__(self, vehicle: Vehicle, started_at: datetime) -> None:
        self.vehicle = vehicle
        self.vehicle_id = uuid.uuid4().hex
        self.started_at = started_at
        self._lock = threading.Lock()
        self._people: dict[str, Occupant] = {}  # insertion order: the driver stays first
        self._closed = False

    def take(self, person_key: str, passage: Passage, decision: Decision) -> Passage:
        """Called by ``BoothService`` (any thread) before the person's passage is logged."""
        with self._lock:
            if self._closed:  # decided while the guard was finishing: not in this vehicle
                return passage
            tagged = _with_evidence(passage, {VEHICLE_ID: self.vehicle_id})
            self._people[person_key] = Occupant(person_key, tagged, decision)
            return tagged

    def people(self) -> tuple[Occupant, ...]:
        with self._lock:
            return tuple(self._people.values())

    def close(self) -> tuple[Occupant, ...]:
        """No more people; the people as they stand."""
        with self._lock:
            self._closed = True
            return tuple(self._people.values())


class VehicleDesk:
    """Starts, finishes and cancels vehicles on one booth service, one vehicle at a time."""

    def __init__(self, service: BoothService) -> None:
        self._service = service
        self._lock = threading.Lock()
        self._session: VehicleSession | None = None

    @property
    def active(self) -> VehicleSession | None:
        return self._session

    def purposes(self) -> dict[str, str]:
        """The purposes the pack in force admits vehicles for (key -> label)."""
        return vehicle_purposes(self._service.policy, self._service.clock.now())

    def search_regions(self, typed: str, limit: int = 10) -> list[Region]:
        """Regions for the origin, by name, pinyin or initials as the guard types them."""
        regions = self._service.policy.regions
        return regions.search(typed, limit) if regions is not None else []

    def region_name(self, code: str) -> str:
        regions = self._service.policy.regions
        return regions.display(code) if regions is not None else code

    def start(self, plate: str, origin_region: str, purpose: str) -> VehicleSession:
        """Vehicle mode on: every person decided from now on belongs to this vehicle.

        Raises ``PlateError`` for a plate that is none, ``RegionCodeError`` for an origin that
        is no region, ``ValueError`` for an empty purpose, ``VehicleModeError`` when a vehicle
        is already being checked. A purpose the pack does not list is allowed: the vehicle is
        then referred to the supervisor.
        """
        if not purpose.strip():
            raise ValueError("the vehicle's purpose is missing")
        vehicle = Vehicle(normalise_plate(plate), self._origin(origin_region), purpose)
        with self._lock:
            if self._session is not None:
                raise VehicleModeError(
                    f"vehicle {self._session.vehicle.plate} is still being checked"
                )
            session = VehicleSession(vehicle, self._service.clock.now())
            self._session = session
            self._service.join(session)
            return session

    def cancel(self) -> None:
        """Vehicle mode off without a vehicle passage; its people's passages stay logged."""
        self._end()

    def finish(self, guard_id: str | None = None) -> VehicleResult:
        """Decide the vehicle on its people as decided and log it; vehicle mode off."""
        session = self._end()
        people = session.people()
        service, now = self._service, self._service.clock.now()
        decision = judge_vehicle(
            session.vehicle,
            people[0].decision if people else None,
            tuple(person.decision for person in people[1:]),
            service.policy,
            now,
        )
        passage = self._passage(session, decision, people, guard_id or self._service.on_duty())
        return VehicleResult(passage, decision, people, service.record(passage))

    def _origin(self, code: str) -> str:
        regions = self._service.policy.regions
        if regions is not None and regions.get(check_code(code)) is None:
            raise RegionCodeError(f"region {code} is not in the region table (GB/T 2260)")
        return code

    def _end(self) -> VehicleSession:
        with self._lock:
            session, self._session = self._session, None
            if session is None:
                raise VehicleModeError("no vehicle is being checked")
            self._service.join(None)
            session.close()
            return session

    def _passage(
        self,
        session: VehicleSession,
        decision: VehicleDecision,
        people: tuple[Occupant, ...],
        guard_id: str | None,
    ) -> Passage:
        vehicle, identity = session.vehicle, self._service.identity
        return Passage(
            passage_id=session.vehicle_id,
            booth_id=identity.booth_id,
            checkpoint_type=identity.checkpoint_type,
            decided_at=decision.decided_at,
            clock_source=self._service.clock.source,
            scanned_text=vehicle.plate,
            code_kind=VEHICLE_KIND,
            pass_id=None,
            holder_name=vehicle.plate,
            id_masked=None,
            role=VEHICLE_KIND,
            temperature_c=None,
            temperature_source=None,
            outcome=decision.outcome,
            reasons=decision.reasons,
            policy_version=decision.policy_version,
            guard_id=guard_id,
            evidence={
                "code_kind": VEHICLE_KIND,
                "origin_region": vehicle.origin_region,
                "origin": self.region_name(vehicle.origin_region),
                "purpose": vehicle.purpose,
                "started_at": session.started_at.isoformat(),
                "driver": people[0].passage.passage_id if people else None,
                "passengers": [person.passage.passage_id for person in people[1:]],
            },
        )


def _with_evidence(passage: Passage, extra: dict[str, str]) -> Passage:
    return dataclasses.replace(passage, evidence={**passage.evidence, **extra})
