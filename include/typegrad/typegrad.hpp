#pragma once
/// \file typegrad.hpp
/// Everything typegrad offers. (The dynamic layer and tg::fuse join here as they land.)
#include <typegrad/static.hpp>
