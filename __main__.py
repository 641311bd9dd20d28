"""Entry point of the landing-zone Pulumi program (`pulumi up`, `pulumi preview`, `lz plan`)."""

from lz.program import main

main()
