from sheriff.entry.cli import main

main()
