"""Entry point of the landing-zone Pulumi program (`pulumi up`, `pulumi preview`, `lz plan`)."""

from lz.programs.entry import main

main()
