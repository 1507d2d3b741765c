from openpaws.cli import main

main()
