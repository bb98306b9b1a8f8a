// The one file writer (reports/file_write.hpp): the whole text or nothing, the old file untouched on
// failure, no temporary left behind, and the error naming the option and the path.
#include "reports/file_write.hpp"

#include "numerics/input_error.hpp"
#include "tests/input_error_field.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace diffbound {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& tag) {
  const fs::path dir = fs::temp_directory_path() / ("diffbound-file-write-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(report_file_write, WritesAndReplacesWholeFilesLeavingNoTemporary) {
  const fs::path dir = fresh_dir("ok");
  const fs::path f = dir / "out.json";
  const std::string big(1 << 20, 'x');  // more than one write() may take
  write_file_atomically(f.string(), big, "-o");
  EXPECT_EQ(read(f), big);
  write_file_atomically(f.string(), "second\n", "-o");
  EXPECT_EQ(read(f), "second\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  fs::remove_all(dir);
}

TEST(report_file_write, FailureNamesTheOptionAndKeepsTheOldFile) {
  const fs::path dir = fresh_dir("fail");
  const fs::path f = dir / "out.json";
  write_file_atomically(f.string(), "old\n", "--write-baseline");
  // a directory where the temporary file would go: creating it fails, the target stays as it was
  fs::create_directories(f.string() + ".tmp." + std::to_string(::getpid()) + "/x");
  try {
    write_file_atomically(f.string(), "new\n", "--write-baseline");
    ADD_FAILURE() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--write-baseline");
    EXPECT_NE(std::string(e.what()).find(f.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(read(f), "old\n");
  EXPECT_EQ(testing::field_of([&] { write_file_atomically((dir / "missing" / "out.json").string(), "x", "-o"); }), "-o");
  fs::remove_all(dir);
}

TEST(report_file_write, NewFileIsNeverOpenedOverAnExistingOne) {
  const fs::path dir = fresh_dir("excl");
  const fs::path f = dir / "a";
  EXPECT_EQ(write_new_file_synced(f, "one"), "");
  EXPECT_NE(write_new_file_synced(f, "two"), "");  // O_EXCL: the report writer's temporary files are its own
  EXPECT_EQ(read(f), "one");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace diffbound
