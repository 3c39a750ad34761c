"""Background tasks (Django's task framework; the database backend runs them with ``manage.py db_worker``)."""

from django.dispatch import receiver
from django.tasks import task

from .services import delivery_due, webhook_deliver


@task()
def deliver_webhook(delivery_id: int) -> dict:
    """One attempt at a webhook delivery; a failed one queues its own retry."""
    attempt = webhook_deliver(delivery_id=delivery_id)
    if attempt is None:
        return {"delivery": delivery_id, "attempted": False}
    return {"delivery": delivery_id, "attempt": attempt.number, "succeeded": attempt.succeeded}


@receiver(delivery_due, dispatch_uid="factcheck.partners.tasks.queue_delivery")
def queue_delivery(sender, *, delivery, run_after=None, **kwargs) -> None:
    """Queue a delivery's next attempt (``services._enqueue``), in the transaction that made it due."""
    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    task.enqueue(delivery.pk)
