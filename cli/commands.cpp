#include "cli/commands.hpp"

#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "reports/exact_json.hpp"
#include "reports/version.hpp"
#include "verify/case_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace diffbound {

const char* version_string() { return DIFFBOUND_VERSION " (" DIFFBOUND_GIT_REVISION ")"; }

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError("output", path, "cannot write here");
    out << text;
    out.flush();
    if (!out) { fs::remove(tmp); throw InputError("output", path, "write failed"); }
  }
  fs::rename(tmp, target);
}

int run_kl(const KlOptions& options) {
  try {
    const CaseSpec spec = read_case_file(options.case_path);
    const ExactQuantities q = compute_exact(spec);
    const auto j = exact_json(spec, q);
    if (!options.output.empty()) write_file_atomically(options.output, j.dump(2) + "\n");
    if (options.json) std::cout << j.dump(2) << "\n";
    else std::cout << exact_summary(spec, q);
    return 0;
  } catch (const InputError& e) {
    std::cerr << "diffbound kl: error: " << options.case_path << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diffbound kl: internal error: " << e.what() << "\n";
    return 4;
  }
}

}  // namespace diffbound
