"""Identifier sanitizing: keywords, leading digits, spaces, unicode and collisions."""

from __future__ import annotations

import keyword

import pytest

from generator.naming import Identifier, Namer, package_name, pascal, snake


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("getBill", "get_bill"),
        ("HTTPServerError", "http_server_error"),
        ("class", "class_"),
        ("match", "match_"),
        ("1st place", "n_1_st_place"),
        ("my param", "my_param"),
        ("Ünïcode", "unicode"),
        ("Ünïcødé", "unicode"),  # ø has no decomposition: transliterated, not dropped
        ("Straße", "strasse"),
        ("имя", "imya"),
        ("\uff21\uff22\uff23", "abc"),  # fullwidth ABC
        ("get🐶Pet", "get_pet"),
        ("userIDs", "user_ids"),  # an acronym's plural is one word
        ("__import__('os')", "import_os"),
        ("", "value"),
        ("日本", "value"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pet store", "PetStore"),
        ("2fa", "M2Fa"),
        ("None", "NoneModel"),
        ("BaseModel", "BaseModelModel"),
        ("x-y_z", "XYZ"),
    ],
)
def test_pascal(text: str, expected: str) -> None:
    assert pascal(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("APIs.guru", "apis_guru"), ("Swagger Petstore", "swagger_petstore"), ("Café API", "cafe")],
)
def test_package_name_keeps_words_whole(title: str, expected: str) -> None:
    assert package_name(title) == expected


def test_results_are_always_safe_identifiers() -> None:
    for text in ["def", "None", "a b c", "9", "'''", '"""', "{{ x }}", "\\", "é", "self"]:
        for name in (snake(text), pascal(text)):
            assert name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


def test_identifier_rejects_unsafe_text() -> None:
    for bad in ["def", "a b", "1a", "ü"]:
        with pytest.raises(ValueError):
            Identifier(bad)


def test_namer_resolves_collisions_case_insensitively() -> None:
    namer = Namer(["close"])
    assert [namer.unique(snake(x)) for x in ["close", "getPet", "get_pet", "GetPet"]] == [
        "close_2",
        "get_pet",
        "get_pet_2",
        "get_pet_3",
    ]


def test_package_name_is_short_snake_case() -> None:
    assert package_name("Oracle Utilities REST API") == "oracle_utilities"
    assert package_name("Swagger Petstore - OpenAPI 3.0") == "swagger_petstore"
    assert package_name("The API") == "api"
    assert package_name("3D Printing") == "api_3_d"
