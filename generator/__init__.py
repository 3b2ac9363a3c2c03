"""apibind: scraped REST documentation -> OpenAPI 3.1 -> typed Python packages.

The pipeline, one sub-package or module per stage:

    scraped pages --scrape--> page model --emit--> OpenAPI 3.1   (generator.scrape)
    OpenAPI spec  --load----> typed IR --render--> files in memory --write--> output/
"""

__version__ = "0.1.0"
