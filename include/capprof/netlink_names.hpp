#pragma once
// Names of netlink request types as reports print them: "RTM_NEWLINK",
// "NFT_MSG_GETGEN", "NFNL_MSG_BATCH_BEGIN". Shared by the tracer (decoded
// arguments) and the profiler (explanations). The numbers come from the
// kernel's uapi headers; strace's xlat tables have no library form.
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <optional>
#include <string>

#include "capprof/name_table.hpp"

namespace capprof {

namespace netlink_names_detail {

inline constexpr NumberName rtnetlink[] = {
    {RTM_NEWLINK, "RTM_NEWLINK"},       {RTM_DELLINK, "RTM_DELLINK"},     {RTM_GETLINK, "RTM_GETLINK"},
    {RTM_SETLINK, "RTM_SETLINK"},       {RTM_NEWADDR, "RTM_NEWADDR"},     {RTM_DELADDR, "RTM_DELADDR"},
    {RTM_GETADDR, "RTM_GETADDR"},       {RTM_NEWROUTE, "RTM_NEWROUTE"},   {RTM_DELROUTE, "RTM_DELROUTE"},
    {RTM_GETROUTE, "RTM_GETROUTE"},     {RTM_NEWNEIGH, "RTM_NEWNEIGH"},   {RTM_DELNEIGH, "RTM_DELNEIGH"},
    {RTM_GETNEIGH, "RTM_GETNEIGH"},     {RTM_NEWRULE, "RTM_NEWRULE"},     {RTM_DELRULE, "RTM_DELRULE"},
    {RTM_GETRULE, "RTM_GETRULE"},       {RTM_NEWQDISC, "RTM_NEWQDISC"},   {RTM_DELQDISC, "RTM_DELQDISC"},
    {RTM_GETQDISC, "RTM_GETQDISC"},     {RTM_NEWTCLASS, "RTM_NEWTCLASS"}, {RTM_DELTCLASS, "RTM_DELTCLASS"},
    {RTM_GETTCLASS, "RTM_GETTCLASS"},   {RTM_NEWTFILTER, "RTM_NEWTFILTER"}, {RTM_DELTFILTER, "RTM_DELTFILTER"},
    {RTM_GETTFILTER, "RTM_GETTFILTER"}, {RTM_NEWACTION, "RTM_NEWACTION"}, {RTM_DELACTION, "RTM_DELACTION"},
    {RTM_GETACTION, "RTM_GETACTION"},   {RTM_NEWNEIGHTBL, "RTM_NEWNEIGHTBL"}, {RTM_GETNEIGHTBL, "RTM_GETNEIGHTBL"},
    {RTM_SETNEIGHTBL, "RTM_SETNEIGHTBL"}, {RTM_NEWNSID, "RTM_NEWNSID"},   {RTM_DELNSID, "RTM_DELNSID"},
    {RTM_GETNSID, "RTM_GETNSID"},       {RTM_NEWNETCONF, "RTM_NEWNETCONF"}, {RTM_GETNETCONF, "RTM_GETNETCONF"},
    {RTM_NEWNEXTHOP, "RTM_NEWNEXTHOP"}, {RTM_DELNEXTHOP, "RTM_DELNEXTHOP"}, {RTM_GETNEXTHOP, "RTM_GETNEXTHOP"},
    {RTM_NEWVLAN, "RTM_NEWVLAN"},       {RTM_DELVLAN, "RTM_DELVLAN"},     {RTM_GETVLAN, "RTM_GETVLAN"},
};

// nfnetlink: the high byte of the type is the subsystem, the low byte its message.
inline constexpr NumberName nfnl_subsystems[] = {
    {NFNL_SUBSYS_CTNETLINK, "NFNL_SUBSYS_CTNETLINK"}, {NFNL_SUBSYS_CTNETLINK_EXP, "NFNL_SUBSYS_CTNETLINK_EXP"},
    {NFNL_SUBSYS_QUEUE, "NFNL_SUBSYS_QUEUE"},         {NFNL_SUBSYS_ULOG, "NFNL_SUBSYS_ULOG"},
    {NFNL_SUBSYS_OSF, "NFNL_SUBSYS_OSF"},             {NFNL_SUBSYS_IPSET, "NFNL_SUBSYS_IPSET"},
    {NFNL_SUBSYS_ACCT, "NFNL_SUBSYS_ACCT"},           {NFNL_SUBSYS_CTNETLINK_TIMEOUT, "NFNL_SUBSYS_CTNETLINK_TIMEOUT"},
    {NFNL_SUBSYS_CTHELPER, "NFNL_SUBSYS_CTHELPER"},   {NFNL_SUBSYS_NFTABLES, "NFNL_SUBSYS_NFTABLES"},
    {NFNL_SUBSYS_NFT_COMPAT, "NFNL_SUBSYS_NFT_COMPAT"}, {NFNL_SUBSYS_HOOK, "NFNL_SUBSYS_HOOK"},
};

inline constexpr NumberName nftables[] = {
    {NFT_MSG_NEWTABLE, "NFT_MSG_NEWTABLE"},     {NFT_MSG_GETTABLE, "NFT_MSG_GETTABLE"},
    {NFT_MSG_DELTABLE, "NFT_MSG_DELTABLE"},     {NFT_MSG_NEWCHAIN, "NFT_MSG_NEWCHAIN"},
    {NFT_MSG_GETCHAIN, "NFT_MSG_GETCHAIN"},     {NFT_MSG_DELCHAIN, "NFT_MSG_DELCHAIN"},
    {NFT_MSG_NEWRULE, "NFT_MSG_NEWRULE"},       {NFT_MSG_GETRULE, "NFT_MSG_GETRULE"},
    {NFT_MSG_DELRULE, "NFT_MSG_DELRULE"},       {NFT_MSG_NEWSET, "NFT_MSG_NEWSET"},
    {NFT_MSG_GETSET, "NFT_MSG_GETSET"},         {NFT_MSG_DELSET, "NFT_MSG_DELSET"},
    {NFT_MSG_NEWSETELEM, "NFT_MSG_NEWSETELEM"}, {NFT_MSG_GETSETELEM, "NFT_MSG_GETSETELEM"},
    {NFT_MSG_DELSETELEM, "NFT_MSG_DELSETELEM"}, {NFT_MSG_NEWGEN, "NFT_MSG_NEWGEN"},
    {NFT_MSG_GETGEN, "NFT_MSG_GETGEN"},         {NFT_MSG_TRACE, "NFT_MSG_TRACE"},
    {NFT_MSG_NEWOBJ, "NFT_MSG_NEWOBJ"},         {NFT_MSG_GETOBJ, "NFT_MSG_GETOBJ"},
    {NFT_MSG_DELOBJ, "NFT_MSG_DELOBJ"},         {NFT_MSG_GETOBJ_RESET, "NFT_MSG_GETOBJ_RESET"},
    {NFT_MSG_NEWFLOWTABLE, "NFT_MSG_NEWFLOWTABLE"}, {NFT_MSG_GETFLOWTABLE, "NFT_MSG_GETFLOWTABLE"},
    {NFT_MSG_DELFLOWTABLE, "NFT_MSG_DELFLOWTABLE"},
};

}  // namespace netlink_names_detail

// The name of request `type` of netlink `protocol` (NETLINK_ROUTE, ...), or
// nullopt when capprof does not know it.
inline std::optional<std::string> netlink_type_name(int protocol, int type) {
    using namespace netlink_names_detail;
    if (protocol == NETLINK_ROUTE) {
        if (const char* name = name_of(rtnetlink, type)) return name;
        return std::nullopt;
    }
    if (protocol == NETLINK_NETFILTER) {
        const int subsystem = NFNL_SUBSYS_ID(type), message = NFNL_MSG_TYPE(type);
        if (subsystem == NFNL_SUBSYS_NONE) {
            if (type == NFNL_MSG_BATCH_BEGIN) return "NFNL_MSG_BATCH_BEGIN";
            if (type == NFNL_MSG_BATCH_END) return "NFNL_MSG_BATCH_END";
            return std::nullopt;
        }
        if (subsystem == NFNL_SUBSYS_NFTABLES)
            if (const char* name = name_of(nftables, message)) return name;
        if (const char* name = name_of(nfnl_subsystems, subsystem))
            return std::string(name) + " message " + std::to_string(message);
    }
    return std::nullopt;
}

}  // namespace capprof
