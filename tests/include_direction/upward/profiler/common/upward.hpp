#pragma once
// A deliberate violation for the include_direction_catches_upward test:
// common/ may not include run/.
#include "run/session.hpp"
