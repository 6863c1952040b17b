"""The forms of teaching: banks, classes and assignments. Labels are lazy so they follow the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from quizapp.banks.yamlsafe import MAX_BYTES


class BankEditorForm(FlaskForm):
    """A bank as YAML text, or a file whose text replaces it; checked, then previewed."""

    source = TextAreaField(_l("Bank (YAML)"), validators=[Optional(), Length(max=MAX_BYTES)])
    upload = FileField(_l("Or upload a YAML file"))
    media = FileField(_l("Picture or sound clip"))


class ImportForm(FlaskForm):
    """Another tool's file (uploaded or pasted) and the teacher's corrections of what was detected."""

    upload = FileField(_l("File from Anki, Quizlet, Moodle, Kahoot or a spreadsheet"))
    paste = TextAreaField(
        _l("Or paste the text (a Quizlet export, GIFT, Moodle XML, CSV)"),
        validators=[Optional(), Length(max=MAX_BYTES)],
    )
    separator = StringField(_l("Between term and definition"), validators=[Optional(), Length(max=10)])
    row_separator = StringField(_l("Between rows"), validators=[Optional(), Length(max=10)])
    bank = StringField(_l("Bank id"), validators=[Optional(), Length(max=60)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    language = SelectField(
        _l("Language of a one-language file"),
        choices=[("", _l("As detected")), ("en", _l("English")), ("zh", _l("Chinese"))],
        validators=[Optional()],
    )
    kept = HiddenField(validators=[Optional(), Length(max=64)])
    name = HiddenField(validators=[Optional(), Length(max=100)])


class PublishForm(FlaskForm):
    source = HiddenField(validators=[InputRequired(), Length(max=MAX_BYTES)])
    confirm_answers = BooleanField(
        _l("I understand: past answers keep their marks; new answers are graded by the new key.")
    )


class DiscardDraftForm(FlaskForm):
    bank = HiddenField(validators=[Optional(), Length(max=200)])


class ResetPasswordForm(FlaskForm):
    """Only the CSRF token: the class and student are in the URL."""


class ClassForm(FlaskForm):
    name = StringField(_l("Class name"), validators=[InputRequired(), Length(min=1, max=80)])


class AssignForm(FlaskForm):
    bank = SelectField(_l("Bank"), choices=[], validate_choice=True)
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    clear_due = BooleanField(_l("No due date (removes the date of a bank already assigned)"))

    def validate_due_on(self, field):
        if field.data and self.clear_due.data:
            raise ValidationError(_l("Give a due date or tick “No due date”, not both."))


class AcceptForm(FlaskForm):
    """One typed answer from the question report to accept, and the language it was shown in."""

    question = HiddenField(validators=[InputRequired(), Length(max=200)])
    answer = HiddenField(validators=[InputRequired(), Length(max=500)])
    shown = HiddenField(validators=[Optional(), Length(max=10)])
