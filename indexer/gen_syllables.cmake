# Writes OUT as a C++ raw string holding the hunspell-vi word list IN.
file(READ "${IN}" dic)
file(WRITE "${OUT}.tmp" "constexpr char kHunspellViDic[] = R\"kholuudic(${dic})kholuudic\";\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
