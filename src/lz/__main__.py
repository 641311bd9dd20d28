from lz.cli.app import main

raise SystemExit(main())
