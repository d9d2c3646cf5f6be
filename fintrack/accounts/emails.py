"""The mail accounts send (the password reset code), and how it leaves: inline or in the
background, so a request does not wait for (nor reveal the time of) an SMTP exchange."""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PASSWORD_RESET_SUBJECT = "Reset your fintrack password"

# Two sends at a time per process at most; the reset throttles bound what queues behind them.
_mail_sender = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fintrack-mail")


def password_reset_message(*, username: str, to: str, uid: str, token: str) -> EmailMessage:
    """The plain-text reset mail: what it is, the code, the link when PASSWORD_RESET_URL is
    set, and that it can be ignored."""
    template = settings.PASSWORD_RESET_URL
    link = template.replace("{uid}", uid).replace("{token}", token) if template else ""
    body = render_to_string(
        "accounts/password_reset_email.txt",
        {"username": username, "uid": uid, "token": token, "link": link},
    )
    return EmailMessage(subject=PASSWORD_RESET_SUBJECT, body=body, to=[to])


def _send(message: EmailMessage) -> None:
    try:
        message.send()
    except Exception:
        # The client already had its 202 (which must not depend on this); the operator sees why.
        logger.exception("Sending the password reset mail failed")


def mail_send(message: EmailMessage) -> Future[None] | None:
    """Send now (PASSWORD_RESET_MAIL_IN_BACKGROUND off, as in tests) or hand the message to
    the background sender and return its future."""
    if not settings.PASSWORD_RESET_MAIL_IN_BACKGROUND:
        _send(message)
        return None
    return _mail_sender.submit(_send, message)
