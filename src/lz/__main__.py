from lz.cli import main

raise SystemExit(main())
