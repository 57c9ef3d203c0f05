# SPDX-License-Identifier: BSD-3-Clause
"""The pieces of tools/bench, vxgate's replay benchmark: what each scenario replays and
under which config (scenarios), how a run is driven and sampled (runner, tables, dhcp),
and the report (report)."""
