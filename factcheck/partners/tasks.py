"""Background tasks (Django's task framework; the database backend runs them with ``manage.py db_worker``)."""

from django.tasks import task

from .services import webhook_deliver


@task()
def deliver_webhook(delivery_id: int) -> dict:
    """One attempt at a webhook delivery; a failed one queues its own retry."""
    attempt = webhook_deliver(delivery_id=delivery_id)
    if attempt is None:
        return {"delivery": delivery_id, "attempted": False}
    return {"delivery": delivery_id, "attempt": attempt.number, "succeeded": attempt.succeeded}
