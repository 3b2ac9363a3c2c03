"""Errors answer the operation's documented error schema (uvicorn on 127.0.0.1): exceptions the
implementation raises or does not handle, invalid requests and off-contract answers."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import httpx
import pytest

from tests.generate.conftest import Live

pytestmark = pytest.mark.usefixtures("on_path")
PET = {"name": "rex", "photoUrls": []}
ORACLE_PATH = "/rest/apis/customer/financials/bills/7/lifecycle"
BASIC = ("user", "secret")
PETSTORE_KEY = {"api_key": "k", "Authorization": "Bearer t"}


def _accepting(server: Any) -> Any:
    """An ``authenticate`` accepting any credentials, with every scope."""

    async def authenticate(self: Any, scheme: str, credentials: Any) -> Any:
        return server.Granted(scheme, credentials.scopes)

    return authenticate


def _failing(exc: Exception) -> Any:
    async def operation(self: Any, **arguments: Any) -> Any:
        raise exc

    return operation


def _answering(value: Any) -> Any:
    async def operation(self: Any, **arguments: Any) -> Any:
        return value

    return operation


def _petstore(live: Live, **operations: Any) -> str:
    import swagger_petstore_server as server

    impl = type("Store", (server.Api,), {"authenticate": _accepting(server), **operations})()
    return live.serve("swagger_petstore", impl)


@pytest.mark.parametrize(
    ("raised", "status", "message"),
    [
        (RuntimeError("db down"), 500, "unexpected error while serving the request"),
        (ValueError("secret detail"), 500, "unexpected error while serving the request"),
        ("http-404", 404, "Not Found"),
        ("http-409-detail", 409, "pet 7 is locked"),
    ],
)
def test_petstore_errors_answer_its_error_schema(
    live: Live, raised: Any, status: int, message: str
) -> None:
    import swagger_petstore_server as server

    exc = {
        "http-404": server.HttpError(404),
        "http-409-detail": server.HttpError(409, detail="pet 7 is locked"),
    }.get(raised, raised)
    url = _petstore(live, update_pet=_failing(exc))
    answer = httpx.put(f"{url}/pet", json=PET, headers=PETSTORE_KEY)
    assert answer.status_code == status, answer.text
    # PUT /pet documents `default: Error {code, message}` (both required)
    assert answer.json() == {"code": str(status), "message": message}


def test_an_invalid_request_answers_the_error_schema_naming_the_field(live: Live) -> None:
    url = _petstore(live)
    answer = httpx.put(f"{url}/pet", json={"name": "rex"}, headers=PETSTORE_KEY)
    assert answer.status_code == 422
    assert answer.json() == {"code": "422", "message": "body.photoUrls: Field required"}


def test_an_off_contract_answer_is_a_500_in_the_error_schema(live: Live) -> None:
    url = _petstore(live, update_pet=_answering({"name": "no photoUrls"}))
    answer = httpx.put(f"{url}/pet", json=PET, headers=PETSTORE_KEY)
    assert answer.status_code == 500
    message = "the implementation's answer does not match the documented response schema"
    assert answer.json() == {"code": "500", "message": message}


def test_an_operation_without_an_error_schema_answers_problem_details(live: Live) -> None:
    url = _petstore(live, get_pet_by_id=_failing(RuntimeError("boom")))
    answer = httpx.get(f"{url}/pet/7", headers={"api_key": "k"})
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Internal Server Error"
    assert "boom" not in answer.text  # the exception stays in the log


def _oracle(live: Live, **operations: Any) -> str:
    import oracle_utilities_server as server

    impl = type("Oracle", (server.Api,), {"authenticate": _accepting(server), **operations})()
    return live.serve("oracle_utilities", impl)


def _problem(answer: httpx.Response) -> Any:
    import oracle_utilities_models as models

    return models.ProblemDetailDocument.model_validate(answer.json())


@pytest.mark.parametrize(
    ("operation", "status", "detail"),
    [
        (_failing(RuntimeError("db down")), 500, "unexpected error while serving the request"),
        (_answering({"billStatus": "NOT A STATUS"}), 500, "the implementation's answer"),
    ],
)
def test_oracle_errors_answer_problem_detail_documents(
    live: Live, operation: Any, status: int, detail: str
) -> None:
    url = _oracle(live, update_bill_lifecycle_action=operation)
    answer = httpx.patch(f"{url}{ORACLE_PATH}", json={}, auth=BASIC)
    assert answer.status_code == status, answer.text
    problem = _problem(answer)
    assert problem.httpStatus == status and problem.title == "Internal Server Error"
    assert problem.detail is not None and problem.detail.startswith(detail[:60])
    assert problem.problemInstance == ORACLE_PATH[:60]


def test_an_invalid_oracle_request_answers_a_problem_detail_document(live: Live) -> None:
    url = _oracle(live)
    answer = httpx.patch(f"{url}{ORACLE_PATH}", json={"accountingDate": "not a date"}, auth=BASIC)
    assert answer.status_code == 422, answer.text
    problem = _problem(answer)
    assert problem.httpStatus == 422 and problem.title == HTTPStatus(422).phrase
    assert problem.detail is not None and problem.detail.startswith("body.accountingDate")
