// Placeholder until the demo exporter lands.
#include "app/demo_exporter.h"

namespace herald::app {

int run_demo_exporter(const DemoExporterOptions&) { return 1; }

}  // namespace herald::app
