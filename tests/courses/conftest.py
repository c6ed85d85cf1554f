from tests.lessons.conftest import instructor, instructor_client  # noqa: F401
