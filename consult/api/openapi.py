"""The read API described in OpenAPI 3.1, written by hand to match ``consult.api.views``.

A test checks that every path here is a route of the app and every ``/api/v1`` route is here.
"""

from __future__ import annotations

from typing import Any

SERVER = "/api/v1"

_COUNT = {
    "type": "object",
    "description": "A count; null with suppressed true when it is hidden (see threshold).",
    "properties": {
        "count": {"type": ["integer", "null"], "minimum": 0},
        "suppressed": {"type": "boolean"},
    },
    "required": ["count", "suppressed"],
}
_STATISTIC = {
    "type": "object",
    "description": "A percentage, mean, median, smallest or largest value; null with suppressed "
    "true when hidden, null with suppressed false when nobody answered.",
    "properties": {
        "value": {"type": ["number", "null"]},
        "suppressed": {"type": "boolean"},
    },
    "required": ["value", "suppressed"],
}
_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    meanings = {
        401: "No API token, or one that is not valid or has been revoked.",
        403: "The token's account no longer has a role in any neighbourhood.",
        404: "No such neighbourhood or survey, or not one the token's account may see.",
        429: "Too many requests: wait a minute.",
    }
    return {str(code): _json(_ref("Error"), meanings[code]) for code in codes}


_SURVEY_LIST = {
    "type": "object",
    "properties": {
        "neighbourhood": {
            "type": "object",
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        },
        "surveys": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "status": {"type": "string", "enum": ["open", "closed"]},
                    "opens_at": {"type": ["string", "null"], "format": "date-time"},
                    "closes_at": {"type": ["string", "null"], "format": "date-time"},
                    "results": {"type": "string", "description": "Where its results are."},
                },
            },
        },
    },
}
_RESULTS = {
    "type": "object",
    "properties": {
        "survey": {"type": "object"},
        "threshold": {"type": "integer", "description": "The neighbourhood's k."},
        "suppression_rule": {"type": "string"},
        "responses": {
            "type": "object",
            "properties": {
                "total": _ref("Count"),
                "by_channel": {"type": "array", "items": {"type": "object"}},
                "by_day": {"type": "array", "items": {"type": "object"}},
            },
        },
        "questions": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["survey", "threshold", "responses", "questions"],
}


def openapi_document(self_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document; ``self_url`` is where it is served."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "consult read API",
            "version": "1.0.0",
            "description": "Aggregated survey results, with the neighbourhood's disclosure "
            "control: no count from 1 to k - 1 is ever given. Results need a personal API "
            "token, made on your account page. Described at " + self_url + ".",
        },
        "servers": [{"url": SERVER}],
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Count": _COUNT,
                "Statistic": _STATISTIC,
                "Error": _ERROR,
                "SurveyList": _SURVEY_LIST,
                "Results": _RESULTS,
            },
        },
        "paths": {
            "/neighbourhoods/{slug}/surveys": {
                "get": {
                    "operationId": "listSurveys",
                    "summary": "A neighbourhood's published surveys (no token needed)",
                    "security": [],
                    "parameters": [_path_parameter("slug", "string")],
                    "responses": {
                        "200": _json(_ref("SurveyList"), "The open and closed surveys."),
                        **_errors(404, 429),
                    },
                }
            },
            "/surveys/{survey_id}/results": {
                "get": {
                    "operationId": "surveyResults",
                    "summary": "A survey's results so far, suppressed as on the results page",
                    "security": [{"bearerToken": []}],
                    "parameters": [_path_parameter("survey_id", "integer")],
                    "responses": {
                        "200": _json(_ref("Results"), "The survey's published numbers."),
                        **_errors(401, 403, 404, 429),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
                }
            },
        },
    }


def _path_parameter(name: str, kind: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}
