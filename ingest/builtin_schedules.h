// The texts of the schedules kholuu ships (ingest/schedules/*.json, in file
// name order), compiled in by ingest/CMakeLists.txt. Parsed by
// BuiltinSchedules() (retention_schedule.h).
#pragma once

#include <string_view>
#include <vector>

namespace kholuu::ingest {

const std::vector<std::string_view>& BuiltinScheduleTexts();

}  // namespace kholuu::ingest
