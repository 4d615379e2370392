// herald's entry point: hands argv to the CLI.
#include <iostream>

#include "app/cli.h"

int main(int argc, char** argv) {
  return herald::app::run_cli(argc, argv, std::cout, std::cerr);
}
