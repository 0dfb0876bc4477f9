// Tests for corpus/spelling.{h,cc}.
#include "corpus/spelling.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

namespace wordspace::corpus {
namespace {

TEST_CASE("FoldCase lowercases as the tokenizer does", "[corpus][spelling]") {
  CHECK(FoldCase("Paris") == "paris");
  CHECK(FoldCase("ÉCOLE") == "école");
  CHECK(FoldCase("ΑΘΗΝΑ") == "αθηνα");
  CHECK(FoldCase("МОСКВА") == "москва");
  CHECK(FoldCase("already") == "already");
  // White space splits, as in the tokenizer; the parts come back joined by one space.
  CHECK(FoldCase("New  York") == "new york");
  CHECK(FoldCase("") == "");
}

TEST_CASE("EditDistance counts edits and stops above the bound", "[corpus][spelling]") {
  CHECK(EditDistance("king", "king", 2) == 0);
  CHECK(EditDistance("kinq", "king", 2) == 1);   // substitution
  CHECK(EditDistance("kng", "king", 2) == 1);    // insertion
  CHECK(EditDistance("kings", "king", 2) == 1);  // deletion
  CHECK(EditDistance("gink", "king", 2) == 2);
  CHECK(EditDistance("kitten", "sitting", 5) == 3);
  // Beyond the bound the answer is max + 1, whether the lengths or the edits give it away.
  CHECK(EditDistance("kitten", "sitting", 2) == 3);
  CHECK(EditDistance("a", "abcdef", 2) == 3);
  CHECK(EditDistance("", "ab", 2) == 2);
}

TEST_CASE("SuggestSpellings: closest first, then vocabulary order, case folded",
          "[corpus][spelling]") {
  const std::vector<std::string> vocabulary = {"the", "queen", "king", "Queen", "kings", "zebra"};
  CHECK(SuggestSpellings(vocabulary, "Queen") == std::vector<std::string>{"queen"});
  CHECK(SuggestSpellings(vocabulary, "quen") == std::vector<std::string>{"queen", "Queen"});
  CHECK(SuggestSpellings(vocabulary, "kinq") == std::vector<std::string>{"king", "kings"});
  CHECK(SuggestSpellings(vocabulary, "kinq", 1) == std::vector<std::string>{"king"});
  CHECK(SuggestSpellings(vocabulary, "xxxxxxxx").empty());
  CHECK(SuggestSpellings({}, "king").empty());
}

TEST_CASE("FindAsSpelledOrLowercase: as typed, then lowercase unless case-sensitive",
          "[corpus][spelling]") {
  const std::map<std::string, int> vocabulary = {{"paris", 1}, {"Berlin", 2}, {"berlin", 3}};
  std::vector<std::string> asked;
  auto find = [&](const std::string& w) {
    asked.push_back(w);
    auto it = vocabulary.find(w);
    return it == vocabulary.end() ? 0 : it->second;
  };
  auto found = [](int id) { return id != 0; };
  bool lowercased = true;
  CHECK(FindAsSpelledOrLowercase("Berlin", false, find, found, &lowercased) == 2);
  CHECK(!lowercased);
  CHECK(asked == std::vector<std::string>{"Berlin"});  // the exact spelling wins
  asked.clear();
  CHECK(FindAsSpelledOrLowercase("PARIS", false, find, found, &lowercased) == 1);
  CHECK(lowercased);
  CHECK(asked == std::vector<std::string>{"PARIS", "paris"});
  asked.clear();
  CHECK(FindAsSpelledOrLowercase("PARIS", true, find, found, &lowercased) == 0);
  CHECK(!lowercased);
  CHECK(asked == std::vector<std::string>{"PARIS"});
  asked.clear();
  CHECK(FindAsSpelledOrLowercase("London", false, find, found, &lowercased) == 0);
  CHECK(!lowercased);
  asked.clear();
  CHECK(FindAsSpelledOrLowercase("rome", false, find, found, &lowercased) == 0);
  CHECK(asked == std::vector<std::string>{"rome"});  // already lowercase: looked up once
}

}  // namespace
}  // namespace wordspace::corpus
