// reelrank_train: logged views (JSON Lines) -> a model pack JSON calibrated
// to the operator's server_score. See reelrank/trainer.h for the format and
// core/tools/README.md for the command.
//
//   reelrank_train --in views.jsonl --out pack.json [--name N]
//                  [--ridge R] [--duration-weights] [--quiet]
//
// Bad lines are reported on stderr as "views.jsonl:<line>: <field>: <why>"
// and skipped. Exit status: 0 = pack written; 1 = no usable line or the
// output could not be written; 2 = usage or unreadable input.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "reelrank/model_pack.h"
#include "reelrank/trainer.h"

namespace {

void Usage() {
  std::fprintf(stderr,
               "usage: reelrank_train --in VIEWS.jsonl --out PACK.json "
               "[--name N] [--ridge R] [--duration-weights] [--quiet]\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string in, out;
  bool quiet = false;
  reelrank::TrainerOptions opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--in") {
      if (!value(&in)) return Usage(), 2;
    } else if (a == "--out") {
      if (!value(&out)) return Usage(), 2;
    } else if (a == "--name") {
      if (!value(&opt.name)) return Usage(), 2;
    } else if (a == "--ridge") {
      if (!value(&v)) return Usage(), 2;
      char* end = nullptr;
      opt.ridge = std::strtod(v.c_str(), &end);
      if (*end != '\0' || !(opt.ridge >= 0.0 && opt.ridge <= 1e6)) {
        std::fprintf(stderr, "reelrank_train: --ridge must be in [0, 1e6]\n");
        return 2;
      }
    } else if (a == "--duration-weights") {
      opt.duration_weights = true;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "-h" || a == "--help") {
      Usage();
      return 0;
    } else {
      std::fprintf(stderr, "reelrank_train: unknown option %s\n", a.c_str());
      Usage();
      return 2;
    }
  }
  if (in.empty() || out.empty()) return Usage(), 2;
  std::ifstream f(in, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "reelrank_train: cannot read %s\n", in.c_str());
    return 2;
  }
  reelrank::PackTrainer trainer(opt);
  std::string line;
  int64_t n = 0, bad = 0;
  while (std::getline(f, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    reelrank::Status s = trainer.AddLine(line);
    if (!s.ok()) {
      ++bad;
      if (bad <= 100) {
        std::fprintf(stderr, "%s:%lld: %s\n", in.c_str(),
                     static_cast<long long>(n), s.message().c_str());
      }
    }
  }
  if (bad > 100) {
    std::fprintf(stderr, "reelrank_train: ... %lld bad lines in all\n",
                 static_cast<long long>(bad));
  }
  reelrank::Result<reelrank::ModelPack> pack = trainer.Fit();
  if (!pack.ok()) {
    std::fprintf(stderr, "reelrank_train: %s\n",
                 pack.status().message().c_str());
    return 1;
  }
  std::ofstream o(out, std::ios::binary | std::ios::trunc);
  o << reelrank::ModelPackToJson(pack.value()) << "\n";
  if (!o) {
    std::fprintf(stderr, "reelrank_train: cannot write %s\n", out.c_str());
    return 1;
  }
  if (!quiet) {
    std::fprintf(stderr,
                 "reelrank_train: %lld views used, %lld lines skipped -> %s\n",
                 static_cast<long long>(trainer.views()),
                 static_cast<long long>(bad), out.c_str());
  }
  return 0;
}
