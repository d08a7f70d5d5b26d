"""Pictures: the upload field's checks and the renditions readers are served
(made by a job of the desk's, ``desk/tasks.py``)."""
