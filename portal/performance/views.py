"""The /kinerja blueprint: its access policy and navigation; the routes live in skp_views
(the SKP pages), tree_views (the pohon kinerja, monitoring, IKU) and document_views (print and
PDF), imported here so that they register on `bp`."""

from flask_babel import lazy_gettext as _l

from portal.performance import skp_views  # noqa: F401  (registers its routes)
from portal.web import access, nav

L = access.LOGIN
access.register(
    {
        "performance.index": L,
        "performance.detail": L,
    }
)

nav.add(_l("SKP"), "performance.index", order=25)
