from __future__ import annotations

import enum
import inspect
import types

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
    bases = {sse.SSEError}  # meant to be subclassed, like the seed's
    for name in sse.__all__:
        value: object = getattr(sse, name)
        if inspect.isclass(value) and value not in bases and not issubclass(value, enum.Enum):
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


def test_private_modules_stay_private() -> None:
    assert all(not name.startswith("_") or name.startswith("__") for name in sse.__all__)
