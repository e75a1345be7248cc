// capprof: which Linux capabilities does this program really need?
#include "cli/cli.hpp"
#include "traced_runner.hpp"

int main(int argc, char** argv) {
    capprof::TracedRunner runner;
    return capprof::cli_main(argc, argv, runner);
}
