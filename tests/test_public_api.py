from __future__ import annotations

import enum
import inspect
import types

from typing_extensions import is_typeddict

import sse


def public_names() -> set[str]:
    return {
        name
        for name, value in vars(sse).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def test_all_is_exactly_the_public_names() -> None:
    assert sorted(sse.__all__) == sorted(public_names())
    assert len(sse.__all__) == len(set(sse.__all__))


def test_concrete_public_classes_are_final() -> None:
    # The seed's exceptions stay open to subclassing, as they were there.
    bases = {sse.SSEError, sse.SSEConnectionError, sse.SSEHTTPError}
    for name in sse.__all__:
        value: object = getattr(sse, name)
        is_interface = is_typeddict(value) or getattr(value, "_is_protocol", False)
        if (
            inspect.isclass(value)
            and value not in bases
            and not issubclass(value, enum.Enum)
            and not is_interface
        ):
            assert getattr(value, "__final__", False), f"{name} is not @final"


def test_every_public_name_is_documented() -> None:
    for name in sse.__all__:
        value: object = getattr(sse, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
            for attribute, member in vars(value).items():
                if not attribute.startswith("_") and (
                    inspect.isfunction(member) or isinstance(member, property)
                ):
                    assert inspect.getdoc(member), f"{name}.{attribute}"


def test_transports_all_is_exactly_its_public_names() -> None:
    import sse.transports

    public = {name for name in vars(sse.transports) if not name.startswith("_")}
    public -= {"annotations"}
    assert sorted(sse.transports.__all__) == sorted(
        n for n in public if not isinstance(getattr(sse.transports, n), types.ModuleType)
    )
