"""REST request and response bodies, exactly as the memo shows them."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class RequestBody(BaseModel):
    """Unknown keys are refused: no mass assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RegisterBody(RequestBody):
    email: StrictStr = Field(examples=["user@example.com"])
    password: StrictStr = Field(examples=["PlainTextPassword"])
    phone: StrictStr = Field(examples=["+79990001122"])
    username: StrictStr = Field(examples=["Ivan Petrov"])


class LoginBody(RequestBody):
    email: StrictStr = Field(examples=["user@example.com"])
    password: StrictStr = Field(examples=["PlainTextPassword"])


class UpdateProfileBody(RequestBody):
    username: StrictStr = Field(examples=["New Name"])


class ChangePasswordBody(RequestBody):
    old_password: StrictStr = Field(examples=["OldPlain"])
    new_password: StrictStr = Field(examples=["NewPlain"])


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
