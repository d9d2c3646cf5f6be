"""Static files storage for production: hashed names, compressed, JS module imports rewritten."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, also rewriting `import ... from "./api.js"` to the hashed names.

    The dashboard's modules import one another; without this, a hashed app.js (cached for good)
    would import unhashed modules (cached a minute), and a release could mix two versions.
    """

    support_js_module_import_aggregation = True
