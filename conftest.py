import os

# Tests run with the test profile of the one settings module (fast password hashing).
os.environ.setdefault("DJANGO_ENV", "test")
