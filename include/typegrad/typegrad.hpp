#pragma once
/// \file typegrad.hpp
/// Everything typegrad offers. (The dynamic layer and tg::fuse join here as they land.)
#include <typegrad/dynamic.hpp>
#include <typegrad/static.hpp>
