"""Django's user admin, with its two forms refusing a username that folds to another user's
(``core.usernames``): the form shows the Norwegian message instead of the save failing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .usernames import check_username

User = get_user_model()


class StaffUserCreationForm(AdminUserCreationForm):
    def clean_username(self) -> Any:
        check_username(self.cleaned_data.get("username") or "")
        return super().clean_username()


class StaffUserChangeForm(UserChangeForm):
    def clean_username(self) -> Any:
        username = self.cleaned_data.get("username") or ""
        check_username(username, other_than=self.instance.pk)
        return username


class StaffUserAdmin(UserAdmin):
    add_form = StaffUserCreationForm
    form = StaffUserChangeForm


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
