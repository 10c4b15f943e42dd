"""REST request and response bodies, exactly as the memo shows them."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr
from pydantic.config import JsonDict

from userql.resolvers.rules import MAX_EMAIL_LENGTH, PASSWORD_LENGTH, USERNAME_LENGTH


def documented_length(shortest: int, longest: int) -> JsonDict:
    """Lengths for OpenAPI only: the core applies the data rules (a username is counted
    after trimming), so that both transports judge input the same way."""
    return {"minLength": shortest, "maxLength": longest}


EMAIL = documented_length(3, MAX_EMAIL_LENGTH)
NEW_PASSWORD = documented_length(*PASSWORD_LENGTH)
USERNAME = documented_length(*USERNAME_LENGTH)


class RequestBody(BaseModel):
    """Unknown keys are refused: no mass assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RegisterBody(RequestBody):
    email: StrictStr = Field(examples=["user@example.com"], json_schema_extra=EMAIL)
    password: StrictStr = Field(examples=["PlainTextPassword"], json_schema_extra=NEW_PASSWORD)
    phone: StrictStr = Field(examples=["+79990001122"])
    username: StrictStr = Field(examples=["Ivan Petrov"], json_schema_extra=USERNAME)


class LoginBody(RequestBody):
    email: StrictStr = Field(examples=["user@example.com"], json_schema_extra=EMAIL)
    password: StrictStr = Field(examples=["PlainTextPassword"])


class UpdateProfileBody(RequestBody):
    username: StrictStr = Field(examples=["New Name"], json_schema_extra=USERNAME)


class ChangePasswordBody(RequestBody):
    old_password: StrictStr = Field(examples=["OldPlain"])
    new_password: StrictStr = Field(examples=["NewPlain"], json_schema_extra=NEW_PASSWORD)


class ProfileOut(BaseModel):
    id: int = Field(examples=[123])
    email: str = Field(examples=["user@example.com"])
    username: str = Field(examples=["Ivan Petrov"])
    phone: str = Field(examples=["+79990001122"])


class UserIdOut(BaseModel):
    user_id: str = Field(examples=["123"])


class OkOut(BaseModel):
    ok: Literal[True] = True


class ErrorOut(BaseModel):
    detail: str
    code: str


class ConflictOut(ErrorOut):
    field: Literal["email", "phone"]


class ValidationItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationOut(BaseModel):
    detail: list[ValidationItem]
