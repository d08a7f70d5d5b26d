"""The cluster's desk users, signed in once per module through the edge."""

import pytest

from tests.cluster.tools import sign_in


@pytest.fixture(scope="module")
def reporter():
    return sign_in("phongvien")


@pytest.fixture(scope="module")
def editor():
    return sign_in("bientapvien")


@pytest.fixture(scope="module")
def chief():
    return sign_in("admin")
