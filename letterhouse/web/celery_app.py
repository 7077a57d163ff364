"""Celery bound to the Flask app, as Flask's own docs do it: every task runs inside the app's context."""

from celery import Task

from letterhouse.batch.celery_tasks import make_celery

EXTENSION = "celery"


def celery_init_app(app):
    """Create the app's Celery (BROKER_URL), make it the default, and keep it in app.extensions["celery"]."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = make_celery(app.config, task_cls=FlaskTask)
    celery.set_default()
    app.extensions[EXTENSION] = celery
    return celery
